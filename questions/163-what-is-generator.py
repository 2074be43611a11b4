# snipcheck: question 163: What is generator?
# guide: guides/python-advanced.txt, line 35

# example at line 39
def my_gen():
    yield 1
    yield 2

g = my_gen()
print(list(g)) # [1, 2]
