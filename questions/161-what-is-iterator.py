# snipcheck: question 161: What is iterator?
# guide: guides/python-advanced.txt, line 17

# example at line 21
nums = [1, 2, 3]
it = iter(nums)

print(next(it)) # 1
print(next(it)) # 2
